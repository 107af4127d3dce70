import { href, useApp } from '../app-context';
import { useQuery } from '../hooks';
import { term } from '../i18n';
import { ROOTS } from '../queries';
import { Problem } from './bits';

interface Roots {
  units: { edges: { node: { id: string; name: string; kind: string; depth: number; status: { phase: string } } }[] };
}

/** The units at the top of what the token may see (the whole tree: the provinces; a scope: that unit). */
export function Home() {
  const { t, lang } = useApp();
  const roots = useQuery<Roots>(ROOTS, {}, 'roots');
  if (!roots.data) return roots.error ? <Problem message={roots.error} /> : <p role="status">{t('loading')}</p>;
  const nodes = roots.data.units.edges.map((e) => e.node);
  const top = Math.min(...nodes.map((n) => n.depth));
  return (
    <section class="card">
      <h1>{t('units')}</h1>
      <ul class="roots">
        {nodes
          .filter((n) => n.depth === top)
          .map((n) => (
            <li key={n.id}>
              <a href={href('subtree', n.id)}>{n.name}</a>{' '}
              <span class="muted">
                {term(lang, n.kind)} · {term(lang, n.status.phase)}
              </span>
            </li>
          ))}
      </ul>
    </section>
  );
}
