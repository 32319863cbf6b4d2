// The report's "Columns" section: how each column of a table was read and turned into features.

import type { ColumnNote } from '../data/columns/pipeline.js';
import { esc } from './html.js';

export function columnsSection(columns: readonly ColumnNote[], notes: readonly string[] = []): string {
  const rows = columns.map((c) => `<tr><td>${esc(c.name)}</td><td>${esc(c.type)}</td><td>${c.outputs}</td><td class="text">${esc(c.reason)}</td></tr>`);
  const total = columns.reduce((a, c) => a + c.outputs, 0);
  return `<section id="columns"><h2>Columns</h2>${notes.length ? `<ul class="note">${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
<table id="column-table"><thead><tr><th>column</th><th>type</th><th>features</th><th>how it is read</th></tr></thead>
<tbody>${rows.join('')}</tbody><tfoot><tr><td>${columns.length} columns</td><td></td><td>${total}</td><td></td></tr></tfoot></table></section>`;
}
