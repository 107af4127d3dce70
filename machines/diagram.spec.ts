/**
 * The diagram the API serves (Mermaid stateDiagram-v2), whole: every state, the order of parallel regions, each
 * transition with its guard spelled out, and the events each state records without moving. Walked off the machine,
 * so a change of the chart shows here first.
 */
import { renderMermaid } from './mermaid.js';
import { RULEBOOK_V1 } from './rulebook-v1.js';
import { RULEBOOK_V2 } from './rulebook-v2.js';

const V1 = [
  'stateDiagram-v2',
  '  %% lookback-campaign-v1: derived from the machine definition',
  '  [*] --> registered',
  '  state "registered" as registered',
  '  state "stage1" as stage1 {',
  '    state "study" as stage1_study {',
  '      [*] --> stage1_study_active',
  '      state "active" as stage1_study_active',
  '      state "met" as stage1_study_met',
  '      stage1_study_active --> stage1_study_met : COMPLETE_STUDY [gatesPass(stage1.study)]',
  '    }',
  '    --',
  '    state "listening" as stage1_listening {',
  '      [*] --> stage1_listening_active',
  '      state "active" as stage1_listening_active',
  '      state "met" as stage1_listening_met',
  '      stage1_listening_active --> stage1_listening_met : COMPLETE_LISTENING [gatesPass(stage1.listening)]',
  '    }',
  '    --',
  '    state "correcting" as stage1_correcting {',
  '      [*] --> stage1_correcting_active',
  '      state "active" as stage1_correcting_active',
  '      state "met" as stage1_correcting_met',
  '      stage1_correcting_active --> stage1_correcting_met : COMPLETE_CORRECTING [gatesPass(stage1.correcting)]',
  '    }',
  '  }',
  '  state "lookBack" as lookBack',
  '  state "reforging" as reforging {',
  '    state "study" as reforging_study {',
  '      [*] --> reforging_study_entering',
  '      state "entering" as reforging_study_entering',
  '      state "active" as reforging_study_active',
  '      state "met" as reforging_study_met',
  '      reforging_study_entering --> reforging_study_active : [isReopened(study)]',
  '      reforging_study_entering --> reforging_study_met : [else]',
  '      reforging_study_active --> reforging_study_met : COMPLETE_STUDY [gatesPass(reforging.study)]',
  '    }',
  '    --',
  '    state "listening" as reforging_listening {',
  '      [*] --> reforging_listening_entering',
  '      state "entering" as reforging_listening_entering',
  '      state "active" as reforging_listening_active',
  '      state "met" as reforging_listening_met',
  '      reforging_listening_entering --> reforging_listening_active : [isReopened(listening)]',
  '      reforging_listening_entering --> reforging_listening_met : [else]',
  '      reforging_listening_active --> reforging_listening_met : COMPLETE_LISTENING [gatesPass(reforging.listening)]',
  '    }',
  '    --',
  '    state "correcting" as reforging_correcting {',
  '      [*] --> reforging_correcting_entering',
  '      state "entering" as reforging_correcting_entering',
  '      state "active" as reforging_correcting_active',
  '      state "met" as reforging_correcting_met',
  '      reforging_correcting_entering --> reforging_correcting_active : [isReopened(correcting)]',
  '      reforging_correcting_entering --> reforging_correcting_met : [else]',
  '      reforging_correcting_active --> reforging_correcting_met : COMPLETE_CORRECTING [gatesPass(reforging.correcting)]',
  '    }',
  '  }',
  '  state "stage1Complete" as stage1Complete',
  '  registered --> stage1 : LAUNCH [gatesPass(launch)]',
  '  stage1 --> lookBack : REQUEST_LOOKBACK [gatesPass(stage1.requestLookBack) & in(stage1.study.met) & in(stage1.listening.met) & in(stage1.correcting.met)]',
  '  lookBack --> stage1Complete : CONCLUDE_LOOKBACK [gatesPass(conclude) & allVerdictsPass]',
  '  lookBack --> reforging : CONCLUDE_LOOKBACK [gatesPass(conclude)]',
  '  reforging --> lookBack : REQUEST_LOOKBACK [gatesPass(reforging.requestLookBack) & in(reforging.study.met) & in(reforging.listening.met) & in(reforging.correcting.met)]',
  '  note right of registered : records FILE_STUDY_PLAN',
  '  note right of stage1 : records STUDY_SESSION, PARTY_LECTURE, FILM_SCREENING, OPINION_RECORDED, OPINION_CLAIMED, COLLECTIVE_DELIBERATION, PROBLEM_IDENTIFIED, PROBLEM_RECTIFIED, FINDING_ISSUED, FINDING_RESOLVED',
  '  note right of lookBack : records STUDY_SESSION, PARTY_LECTURE, FILM_SCREENING, OPINION_RECORDED, OPINION_CLAIMED, COLLECTIVE_DELIBERATION, PROBLEM_IDENTIFIED, PROBLEM_RECTIFIED, FINDING_ISSUED, FINDING_RESOLVED, LOOKBACK_VERDICT',
  '  note right of reforging : records STUDY_SESSION, PARTY_LECTURE, FILM_SCREENING, OPINION_RECORDED, OPINION_CLAIMED, COLLECTIVE_DELIBERATION, PROBLEM_IDENTIFIED, PROBLEM_RECTIFIED, FINDING_ISSUED, FINDING_RESOLVED',
];

describe('renderMermaid', () => {
  it('draws the chart of ruleset 1, line for line', () => {
    expect(renderMermaid(RULEBOOK_V1)).toBe(`${V1.join('\n')}\n`);
  });

  it('draws the same chart under ruleset 2, with its own id and the events it records besides', () => {
    const v1Notes = /^ {2}note right of /u;
    const v2 = renderMermaid(RULEBOOK_V2).split('\n');
    expect(v2.slice(0, -1).filter((l) => !v1Notes.test(l))).toStrictEqual(
      V1.filter((l) => !v1Notes.test(l)).map((l) => l.replace('lookback-campaign-v1', 'lookback-campaign-v2')),
    );
    const evidence =
      'STUDY_SESSION, PARTY_LECTURE, FILM_SCREENING, OPINION_RECORDED, OPINION_CLAIMED, COLLECTIVE_DELIBERATION, PROBLEM_IDENTIFIED, PROBLEM_RECTIFIED, PROVINCE_ACTIVITY, SELF_ASSESSMENT_FILED, FINDING_ISSUED, FINDING_RESOLVED';
    expect(v2.filter((l) => v1Notes.test(l))).toStrictEqual([
      '  note right of registered : records FINDING_ISSUED, FINDING_RESOLVED, FILE_STUDY_PLAN',
      `  note right of stage1 : records ${evidence}`,
      `  note right of lookBack : records ${evidence}, LOOKBACK_VERDICT`,
      `  note right of reforging : records ${evidence}`,
      '  note right of stage1Complete : records FINDING_ISSUED, FINDING_RESOLVED',
    ]);
    expect(v2.at(-1)).toBe('');
  });
});
