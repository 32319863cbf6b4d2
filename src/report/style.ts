// The report's inline stylesheet.

export const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2937; background: #f3f4f6; }
header { background: #1f2937; color: #f9fafb; padding: 20px 32px; }
header h1 { margin: 0; font-size: 22px; font-weight: 650; }
header .sub { margin: 4px 0 0; color: #d1d5db; }
main { max-width: 1180px; margin: 0 auto; padding: 12px 24px 24px; }
section { background: #fff; border: 1px solid #e5e7eb; border-radius: 10px; padding: 16px 20px; margin: 16px 0; }
h2 { font-size: 17px; margin: 0 0 8px; }
h2 .sub { font-weight: 400; color: #6b7280; font-size: 14px; }
.note { color: #4b5563; margin: 0 0 10px; }
.grid2, .pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 400px), 1fr)); gap: 16px; align-items: start; }
.grid2 > *, .pair > * { min-width: 0; }
h3 { font-size: 14px; margin: 18px 0 4px; color: #374151; }
svg.chart { display: block; max-width: 100%; height: auto; background: #fff; }
svg.chart.line { width: 100%; }
svg.chart.square { width: 100%; max-width: 560px; }
figure { margin: 0; }
figcaption { color: #6b7280; font-size: 12px; max-width: 520px; }
.table-wrap { max-width: 100%; overflow-x: auto; }
.table-wrap table + table, .table-wrap table + details { margin-top: 14px; }
details summary { cursor: pointer; color: #1d4ed8; margin: 6px 0; }
.card-note { background: #f9fafb; border: 1px solid #e5e7eb; border-radius: 8px; padding: 10px 14px; color: #374151; align-self: start; }
.card-note p { margin: 4px 0 0; }
table { border-collapse: collapse; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e5e7eb; text-align: left; }
thead th { background: #f9fafb; font-weight: 600; }
table.num td + td { text-align: right; font-variant-numeric: tabular-nums; }
tfoot td, tr.avg td { font-weight: 600; background: #f9fafb; }
caption { text-align: left; font-weight: 600; padding: 6px 0; }
#model-summary th { color: #4b5563; font-weight: 500; white-space: nowrap; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 4px 0 14px; }
.card { background: #f9fafb; border: 1px solid #e5e7eb; border-radius: 8px; padding: 8px 14px; min-width: 120px; color: #4b5563; font-size: 12px; }
.card .big { font-size: 22px; font-weight: 650; color: #111827; }
footer { text-align: center; color: #6b7280; font-size: 12px; padding: 8px 12px 24px; }
@media (max-width: 640px) {
  header { padding: 14px 14px; }
  main { padding: 4px 8px 16px; }
  section { padding: 12px 10px; margin: 10px 0; }
  .card { min-width: 0; flex: 1 1 40%; }
}
`;
