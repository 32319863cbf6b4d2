export const BUDGET_GZIP: number;
export interface FileSize { raw: number; gzip: number }
export function buildWeb(options?: { outDir?: string; quiet?: boolean }): Promise<{ sizes: Record<string, FileSize>; budget: number; imports: string[] }>;
