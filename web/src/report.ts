/** "Export the report": the report upward as the service writes it (`report`, as `npm run report` prints it), saved as a file. */
import { gql } from './api';

const REPORT = `query Report($id: ID!, $format: ReportFormat!) { report(unitId: $id, format: $format) }`;

export async function exportReport(unitId: string, unitName: string, format: 'CSV' | 'MARKDOWN'): Promise<void> {
  const { report } = await gql<{ report: string }>(REPORT, { id: unitId, format });
  const [extension, type] =
    format === 'CSV' ? ['csv', 'text/csv;charset=utf-8'] : ['md', 'text/markdown;charset=utf-8'];
  download(
    `${unitName}.${extension}`,
    type,
    format === 'CSV' && !report.startsWith('\uFEFF') ? '\uFEFF' + report : report,
  );
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
