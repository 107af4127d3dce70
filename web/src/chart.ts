/** The server's statechart (Mermaid text) made ready to draw: labels in the page's language, states marked. */
import { term, type Lang } from './i18n';

export const mermaidIdOf = (leafPath: string) => leafPath.split('.').join('_');

export interface Marks {
  current: string[];
  visited: string[];
}

export function chartText(mermaid: string, lang: Lang, marks: Marks): string {
  const lines = mermaid
    .split('\n')
    .filter((line) => !/^\s*note /.test(line) && !/^\s*%%/.test(line))
    .map((line) =>
      line
        .replace(/state "([^"]+)" as (\w+)/, (_, key: string, id: string) => `state "${term(lang, key)}" as ${id}`)
        .replace(/ : ([A-Z_]+)( \[[^\]]*\])?$/, (_, event: string) => ` : ${term(lang, event)}`)
        .replace(
          / : \[(isReopened\([a-z]+\)|else)\]$/,
          (_, guard: string) =>
            ` : ${guard === 'else' ? (lang === 'zh-CN' ? '未重开' : 'not reopened') : lang === 'zh-CN' ? '重开' : 'reopened'}`,
        ),
    );
  const current = [...new Set(marks.current.map(mermaidIdOf))];
  const visited = [...new Set(marks.visited.map(mermaidIdOf))].filter((id) => !current.includes(id));
  lines.push('  classDef current fill:#a8071a,color:#ffffff,stroke:#5c0011,stroke-width:3px');
  lines.push('  classDef visited fill:#fff1b8,color:#262626,stroke:#ad6800,stroke-width:2px');
  if (visited.length) lines.push(`  class ${visited.join(',')} visited`);
  if (current.length) lines.push(`  class ${current.join(',')} current`);
  return lines.join('\n');
}

export interface PathStep {
  phase: string;
  states: string[];
}

/** The phases a unit went through, in order (consecutive repeats folded), from each step's state after. */
export function phasePath(registered: boolean, stepsAfter: string[][]): string[] {
  const phases: string[] = registered ? ['registered'] : [];
  for (const states of stepsAfter) {
    const phase = states[0]?.split('.')[0];
    if (phase && phases[phases.length - 1] !== phase) phases.push(phase);
  }
  return phases;
}
