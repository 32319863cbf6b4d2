import type { Server } from 'node:http';
export function startServer(options?: { root?: string; port?: number; host?: string }): Promise<{ origin: string; server: Server; close(): Promise<void> }>;
