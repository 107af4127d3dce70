/** The statechart as Mermaid `stateDiagram-v2`, walked off the machine definition (never drawn by hand). */
import type { AnyStateNode } from 'xstate';
import { createCampaignMachine } from './campaign.machine.js';
import type { Rulebook } from './rulebook.js';
import { leafPathsOf } from './status.js';

const mermaidId = (node: AnyStateNode) => node.path.join('_') || 'root';

function guardLabel(guard: unknown): string {
  if (!guard) return '';
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in guard) {
    const g = guard as { type: string; params?: unknown };
    const params = g.params && typeof g.params === 'object' ? Object.values(g.params).join(',') : '';
    return params ? `${g.type}(${params})` : g.type;
  }
  // xstate's composed guards are functions carrying what they compose: and(…) its `guards`, stateIn(…) its `stateValue`
  const composed = guard as { guards?: unknown[]; stateValue?: unknown };
  if (Array.isArray(composed.guards)) return composed.guards.map(guardLabel).join(' & ');
  if (composed.stateValue !== undefined) return `in(${leafPathsOf(composed.stateValue).join(', ')})`;
  return 'guarded';
}

interface Edge {
  source: AnyStateNode;
  target: AnyStateNode;
  label: string;
}

/** The nearest node containing both ends: where Mermaid wants the edge written. */
function commonParent(a: AnyStateNode, b: AnyStateNode): AnyStateNode | undefined {
  const ancestors = new Set<AnyStateNode>();
  for (let n = a.parent; n; n = n.parent) ancestors.add(n);
  for (let n = b.parent; n; n = n.parent) if (ancestors.has(n)) return n;
  return undefined;
}

function collect(node: AnyStateNode, edges: Edge[], notes: Map<AnyStateNode, string[]>): void {
  for (const [eventType, transitions] of node.transitions) {
    for (const t of transitions) {
      const label = `${eventType}${t.guard ? ` [${guardLabel(t.guard)}]` : ''}`;
      if (!t.target || t.target.length === 0) {
        notes.set(node, [...(notes.get(node) ?? []), eventType]);
        continue;
      }
      for (const target of t.target) edges.push({ source: node, target, label });
    }
  }
  for (const t of node.always ?? []) {
    for (const target of t.target ?? [])
      edges.push({ source: node, target, label: `[${guardLabel(t.guard) || 'else'}]` });
  }
  for (const child of Object.values(node.states) as AnyStateNode[]) collect(child, edges, notes);
}

function render(
  node: AnyStateNode,
  indent: string,
  edges: Edge[],
  notes: Map<AnyStateNode, string[]>,
  lines: string[],
): void {
  const children = Object.values(node.states) as AnyStateNode[];
  if (node.type !== 'parallel' && node.initial) {
    for (const target of node.initial.target) lines.push(`${indent}[*] --> ${mermaidId(target)}`);
  }
  children.forEach((child, i) => {
    if (Object.keys(child.states).length > 0) {
      lines.push(`${indent}state "${child.key}" as ${mermaidId(child)} {`);
      render(child, `${indent}  `, edges, notes, lines);
      lines.push(`${indent}}`);
    } else {
      lines.push(`${indent}state "${child.key}" as ${mermaidId(child)}`);
    }
    if (node.type === 'parallel' && i < children.length - 1) lines.push(`${indent}--`);
  });
  if (node.type !== 'parallel') {
    for (const edge of edges) {
      if ((commonParent(edge.source, edge.target) ?? edge.source.machine.root) === node) {
        lines.push(`${indent}${mermaidId(edge.source)} --> ${mermaidId(edge.target)} : ${edge.label}`);
      }
    }
  }
  for (const child of children) {
    const accepted = notes.get(child);
    if (accepted) lines.push(`${indent}note right of ${mermaidId(child)} : records ${accepted.join(', ')}`);
  }
}

/** `stateDiagram-v2` text of the machine of a rulebook. */
export function renderMermaid(rulebook: Rulebook): string {
  const machine = createCampaignMachine(rulebook);
  const edges: Edge[] = [];
  const notes = new Map<AnyStateNode, string[]>();
  collect(machine.root, edges, notes);
  const lines = ['stateDiagram-v2', `  %% ${machine.id}: derived from the machine definition`];
  render(machine.root, '  ', edges, notes, lines);
  return `${lines.join('\n')}\n`;
}
