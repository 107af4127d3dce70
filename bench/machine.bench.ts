/**
 * `npm run bench:machine`: the full pure step on a realistic mid-campaign snapshot, as the server runs it —
 * JSON.parse the stored snapshot → step(evidence event) → JSON.stringify the next one — and the cost of
 * explain(). Each figure is measured over a fixed ~3 s loop after a warm-up. Target: 40,000 steps/s for `step`;
 * the same step through xstate's documented serverless API alone (`stepByPublicApi`) is printed beside it.
 */
import {
  explain,
  initialSnapshot,
  RULEBOOK_V1,
  step,
  type CampaignEvent,
  type StoredSnapshot,
} from '../machines/index.js';
import { stepByPublicApi, type Step } from '../machines/step.js';

const TARGET_STEPS_PER_SECOND = 40_000;
const DURATION_MS = Number(process.env.BENCH_MS ?? 3000);
const DAY = 86_400_000;
const T0 = Date.parse('2014-02-01T01:00:00Z');
const at = (days: number) => new Date(T0 + days * DAY).toISOString();

const rulebook = RULEBOOK_V1;

function accept(s: StoredSnapshot, event: CampaignEvent): StoredSnapshot {
  const result = step(s, event, rulebook);
  if (!result.ok) throw new Error(`${event.type} refused: ${JSON.stringify(result)}`);
  return result.snapshot;
}

/** LEADERSHIP_BODY, 9 days in: study met, 36 opinions (some routed, a few unclaimed), open problems, a finding. */
function midCampaign(): StoredSnapshot {
  let s = initialSnapshot({ kind: 'LEADERSHIP_BODY', leaderCount: 5 }, rulebook);
  s = accept(s, {
    type: 'FILE_STUDY_PLAN',
    topics: ['党章党规', '系列重要讲话', '焦裕禄精神'],
    plannedDays: 5,
    at: at(-2),
  });
  s = accept(s, { type: 'LAUNCH', parentLaunched: true, at: at(0) });
  for (let d = 0; d < 5; d++)
    s = accept(s, {
      type: 'STUDY_SESSION',
      format: 'CONCENTRATED',
      occurredAt: at(d),
      hours: 6,
      attendees: 14,
      topic: '专题学习',
      at: at(d + 0.3),
    });
  for (let d = 0; d < 2; d++)
    s = accept(s, {
      type: 'STUDY_SESSION',
      format: 'THEMATIC_SEMINAR',
      occurredAt: at(d + 0.1),
      hours: 3,
      attendees: 14,
      at: at(d + 0.3),
    });
  for (let i = 0; i < 5; i++)
    s = accept(s, {
      type: 'PARTY_LECTURE',
      lecturer: `领导${i}`,
      occurredAt: at(1 + i / 2),
      audienceUnitId: `village-${i}`,
      at: at(3),
    });
  s = accept(s, { type: 'COMPLETE_STUDY', at: at(5) });
  const channels = ['FACE_TO_FACE', 'HOME_VISIT', 'FORUM', 'CONDUCT_REVIEW', 'LETTER', 'ONLINE'] as const;
  const categories = ['FORMALISM', 'BUREAUCRATISM', 'HEDONISM', 'EXTRAVAGANCE', 'WORK'] as const;
  for (let i = 0; i < 36; i++) {
    const routed = i % 4 === 0;
    s = accept(s, {
      type: 'OPINION_RECORDED',
      opinionId: `opinion-${1000 + i}`,
      channel: channels[i % channels.length],
      category: categories[i % categories.length],
      collectedByUnitId: routed ? 'county-7' : 'leadership-1',
      targetUnitId: 'leadership-1',
      occurredAt: at(5 + i / 10),
      at: at(9),
    });
    if (routed && i < 24) s = accept(s, { type: 'OPINION_CLAIMED', opinionId: `opinion-${1000 + i}`, at: at(9) });
  }
  for (let i = 0; i < 6; i++) {
    s = accept(s, {
      type: 'PROBLEM_IDENTIFIED',
      problemId: `problem-${i}`,
      category: '形象工程',
      fixAtOnce: i % 2 === 0,
      dueAt: at(30),
      sourceOpinionId: `opinion-${1000 + i}`,
      at: at(9),
    });
  }
  s = accept(s, { type: 'PROBLEM_RECTIFIED', problemId: 'problem-0', occurredAt: at(9), at: at(9) });
  s = accept(s, { type: 'FINDING_ISSUED', findingId: 'finding-1', kind: 'HOLLOW_OPINIONS', at: at(9) });
  return s;
}

/**
 * Calls per wall-clock second, and per second of this process's CPU time: on a machine shared with other work
 * the wall-clock figure drops with the load, the CPU figure much less (it includes the GC's helper threads).
 */
function measure(fn: () => void): { perSecond: number; perCpuSecond: number; iterations: number } {
  const warmUpEnd = performance.now() + Math.min(500, DURATION_MS / 4);
  while (performance.now() < warmUpEnd) fn();
  let iterations = 0;
  const cpuAtStart = process.cpuUsage();
  const start = performance.now();
  let now = start;
  while (now - start < DURATION_MS) {
    for (let i = 0; i < 100; i++) fn();
    iterations += 100;
    now = performance.now();
  }
  const cpu = process.cpuUsage(cpuAtStart);
  return {
    perSecond: Math.round((iterations * 1000) / (now - start)),
    perCpuSecond: Math.round((iterations * 1e6) / (cpu.user + cpu.system)),
    iterations,
  };
}

const stored = JSON.stringify(midCampaign());
const evidence: CampaignEvent = {
  type: 'STUDY_SESSION',
  format: 'GROUP_DISCUSSION',
  occurredAt: at(9.1),
  hours: 2,
  attendees: 11,
  at: at(9.2),
};
let bytes = 0;
const fullSteps = (run: Step) =>
  measure(() => {
    const result = run(JSON.parse(stored) as StoredSnapshot, evidence, rulebook);
    if (!result.ok) throw new Error('step refused');
    bytes = JSON.stringify(result.snapshot).length;
  });
const steps = fullSteps(step);
const publicApiSteps = fullSteps(stepByPublicApi);
const snapshot = JSON.parse(stored) as StoredSnapshot;
const explainAt = at(9.2);
const explains = measure(() => {
  explain(snapshot, explainAt, rulebook);
});

console.log(
  JSON.stringify(
    {
      snapshot:
        'LEADERSHIP_BODY mid-campaign: study met, 36 opinions (3 routed unclaimed), 5 open problems, 1 open finding',
      snapshotBytes: bytes,
      durationMsEach: DURATION_MS,
      stepsPerSecond: steps.perSecond,
      microsecondsPerStep: Number((1e6 / steps.perSecond).toFixed(2)),
      stepsPerCpuSecond: steps.perCpuSecond,
      publicApiStepsPerSecond: publicApiSteps.perSecond,
      microsecondsPerPublicApiStep: Number((1e6 / publicApiSteps.perSecond).toFixed(2)),
      publicApiStepsPerCpuSecond: publicApiSteps.perCpuSecond,
      explainPerSecond: explains.perSecond,
      explainPerCpuSecond: explains.perCpuSecond,
      microsecondsPerExplain: Number((1e6 / explains.perSecond).toFixed(2)),
      targetStepsPerSecond: TARGET_STEPS_PER_SECOND,
      ratioToTarget: Number((steps.perSecond / TARGET_STEPS_PER_SECOND).toFixed(2)),
      node: process.version,
    },
    null,
    2,
  ),
);
