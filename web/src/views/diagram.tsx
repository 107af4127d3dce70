import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { chartText, type Marks } from '../chart';

let counter = 0;

/**
 * The statechart drawn by Mermaid, loaded on first use (the page itself stays small): current states in dark red,
 * states the unit went through in yellow.
 */
export function Diagram({ mermaid, marks, title }: { mermaid: string; marks: Marks; title: string }) {
  const { lang, t } = useApp();
  const host = useRef<HTMLDivElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const text = chartText(mermaid, lang, marks);
  useEffect(() => {
    let live = true;
    (async () => {
      try {
        const { default: renderer } = await import('mermaid');
        renderer.initialize({
          startOnLoad: false,
          securityLevel: 'strict',
          theme: 'neutral',
          fontFamily: 'system-ui, sans-serif',
        });
        const { svg } = await renderer.render(`chart-${++counter}`, text);
        if (!live || !host.current) return;
        host.current.innerHTML = svg;
        const drawn = host.current.querySelector('svg');
        drawn?.setAttribute('role', 'img');
        drawn?.setAttribute('aria-label', title);
        host.current.dataset.rendered = 'true';
      } catch (error) {
        if (live) setProblem((error as Error).message);
      }
    })();
    return () => {
      live = false;
    };
  }, [text, title]);
  return (
    <figure class="diagram">
      <div ref={host} class="chart" data-rendered="false">
        {problem ?? t('loading')}
      </div>
      <figcaption>
        <span class="key current">{t('current')}</span> <span class="key visited">{t('visited')}</span>
      </figcaption>
    </figure>
  );
}
