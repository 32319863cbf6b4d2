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
.grid2 { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.pair { display: flex; flex-wrap: wrap; gap: 12px; }
svg.chart { max-width: 100%; height: auto; background: #fff; }
figure { margin: 0; }
figcaption { color: #6b7280; font-size: 12px; max-width: 460px; }
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
footer { text-align: center; color: #6b7280; font-size: 12px; padding: 8px 0 24px; }
`;
