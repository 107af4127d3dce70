import type { Lang } from './i18n';

export function dateTime(lang: Lang, iso: string): string {
  return new Date(iso).toLocaleString(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** 2天 3小时 4分 5秒 / 2d 3h 4m 5s until a moment (0 when it has passed). */
export function countdown(lang: Lang, ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const parts: [number, string, string][] = [
    [Math.floor(s / 86400), '天', 'd'],
    [Math.floor((s % 86400) / 3600), '小时', 'h'],
    [Math.floor((s % 3600) / 60), '分', 'm'],
    [s % 60, '秒', 's'],
  ];
  const from = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(from === -1 ? 3 : from)
    .map(([n, zh, en]) => `${n}${lang === 'zh-CN' ? zh : en}`)
    .join(' ');
}

export const percent = (share: number) => `${Math.round(share * 100)}%`;
