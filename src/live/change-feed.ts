import { Injectable } from '@nestjs/common';
import type { UnitStatus } from '../history/unit-status.model.js';

/**
 * What every instance learns when a command on a unit commits: the unit, its ancestors (for scope checks and for the
 * rollups above it) and its new status. Small on purpose: it travels in a PostgreSQL NOTIFY (8,000 bytes at most).
 */
export interface UnitChange {
  unitId: string;
  /** the unit's path from the root, itself included (UnitRow.ancestors; nulls past its depth) */
  ancestors: (string | null)[];
  /** the unit's new status; null when only its subtree's counters changed (a refused stage event) */
  status: UnitStatus | null;
}

/** Topics: a unit's own changes, and the changes anywhere in the subtree under a unit (its rollup). */
export const unitTopic = (unitId: string) => `unit:${unitId}`;
export const subtreeTopic = (unitId: string) => `subtree:${unitId}`;

type Listener = (change: UnitChange) => void;

/**
 * The in-process side of live updates: who on this instance listens to which topic, and the fan-out of one
 * committed change to them. A change reaches it after its commit only — from the LISTEN connection on PostgreSQL
 * (pg-change-listener.ts), from the commit callback on SQLite (live-updates.listener.ts). One change publishes to the
 * unit's topic and to the subtree topic of each of its ancestors; a feature adds a topic by subscribing to one.
 */
@Injectable()
export class ChangeFeed {
  private readonly topics = new Map<string, Set<Listener>>();
  /** changes delivered on this instance (the bench and tests read it) */
  delivered = 0;

  subscribe(topic: string, listener: Listener): () => void {
    let listeners = this.topics.get(topic);
    if (!listeners) this.topics.set(topic, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.topics.get(topic) === listeners) this.topics.delete(topic);
    };
  }

  /** Subscribers on this instance, all topics (0 once every subscription has ended). */
  get subscriberCount(): number {
    let count = 0;
    for (const listeners of this.topics.values()) count += listeners.size;
    return count;
  }

  /** The units with a subscriber of their own topic (`unit:`) or of their subtree's (`subtree:`) on this instance. */
  watched(prefix: 'unit:' | 'subtree:'): string[] {
    return [...this.topics.keys()].filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length));
  }

  deliver(change: UnitChange): void {
    this.delivered++;
    if (change.status) this.emit(unitTopic(change.unitId), change);
    for (const ancestor of change.ancestors) if (ancestor !== null) this.emit(subtreeTopic(ancestor), change);
  }

  private emit(topic: string, change: UnitChange): void {
    const listeners = this.topics.get(topic);
    if (!listeners) return;
    for (const listener of [...listeners]) listener(change);
  }
}
