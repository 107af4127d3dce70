import { deepFreeze } from './json.js';
import type { KindRules, Rulebook, SupplementKindRules } from './rulebook.js';
import { RULEBOOK_V1 } from './rulebook-v1.js';
import type { StudyTopic, UnitKind } from './vocabulary.js';

/** The province's prescribed activities (规定动作, 33号 四): 读原著、学纪实、看专辑、听报告. */
const PRESCRIBED = ['READ_ORIGINALS', 'STUDY_RECORDS', 'WATCH_SERIES', 'HEAR_REPORT'];

const DU_TOPICS: StudyTopic[] = ['NOTICE_FOUR_REQUIREMENTS', 'LANKAO_SPEECH', 'REQUIRED_READINGS'];
const GRASSROOTS_CATEGORIES = ['UNHEALTHY_PRACTICES', 'HARMING_PUBLIC_INTERESTS'];

const supplement = (
  requiredTopics: StudyTopic[],
  requiredActivities: string[],
  fixAtOnceCategories: string[],
  concentratedCountsAsDiscussion = false,
): SupplementKindRules => ({ requiredTopics, requiredActivities, fixAtOnceCategories, concentratedCountsAsDiscussion });

/** v1's numbers with the 焦裕禄 film for every kind but non-public / social organisations (7号: 组织观看《焦裕禄》等影片). */
const withFilm = (kind: UnitKind): KindRules => {
  const rules = RULEBOOK_V1.kinds[kind];
  return kind === 'NON_PUBLIC_SOCIAL'
    ? rules
    : { ...rules, study: { ...rules.study, filmScreenings: Math.max(1, rules.study.filmScreenings) } };
};

/**
 * Rulebook v2: v1 plus Hebei's supplement (冀群组发〔2014〕33号) — required topics by kind, the film, the province's
 * prescribed activities, the unit's self-assessment before the look-back — and v1's loopholes closed (ruleset 2).
 */
export const RULEBOOK_V2: Rulebook = deepFreeze({
  ...RULEBOOK_V1,
  version: 2,
  ruleset: 2,
  // 来访: the public came in person
  faceToFaceChannels: [...RULEBOOK_V1.faceToFaceChannels, 'PETITION_VISIT'],
  kinds: {
    LEADERSHIP_BODY: withFilm('LEADERSHIP_BODY'),
    DIRECT_UNIT: withFilm('DIRECT_UNIT'),
    TOWNSHIP_STREET: withFilm('TOWNSHIP_STREET'),
    WINDOW_SERVICE: withFilm('WINDOW_SERVICE'),
    GRASSROOTS: withFilm('GRASSROOTS'),
    NON_PUBLIC_SOCIAL: withFilm('NON_PUBLIC_SOCIAL'),
  },
  supplement: {
    activities: PRESCRIBED,
    problemCategories: {
      VANITY_PROJECTS: '政绩工程',
      IMAGE_PROJECTS: '形象工程',
      INDIFFERENCE_TO_THE_PUBLIC: '漠视群众',
      ALOOFNESS: '高高在上',
      MEDIOCRE_LAZY_LAX_SLOW: '庸懒散拖',
      BUCK_PASSING: '推诿扯皮',
      MIDDLE_OBSTRUCTION: '中梗阻',
      UNHEALTHY_PRACTICES: '身边不正之风',
      HARMING_PUBLIC_INTERESTS: '损害群众利益',
      HARD_TO_SERVE: '门难进、脸难看、事难办',
      EXACTIONS: '吃拿卡要',
      ABUSE_OF_POWER: '滥用职权、执法不公',
    },
    concentratedDayMinHours: 3,
    minLecturers: 1,
    kinds: {
      LEADERSHIP_BODY: supplement(
        ['NOTICE_FOUR_REQUIREMENTS', 'LANKAO_SPEECH', 'SERIES_SPEECHES', 'REQUIRED_READINGS', 'JIAO_YULU_SPIRIT'],
        PRESCRIBED,
        ['VANITY_PROJECTS', 'IMAGE_PROJECTS', 'INDIFFERENCE_TO_THE_PUBLIC', 'ALOOFNESS'],
      ),
      DIRECT_UNIT: supplement(DU_TOPICS, PRESCRIBED, ['MEDIOCRE_LAZY_LAX_SLOW', 'BUCK_PASSING', 'MIDDLE_OBSTRUCTION']),
      TOWNSHIP_STREET: supplement(DU_TOPICS, PRESCRIBED, GRASSROOTS_CATEGORIES),
      WINDOW_SERVICE: supplement([...DU_TOPICS, 'ETHICS_AND_CONDUCT'], PRESCRIBED, [
        'HARD_TO_SERVE',
        'EXACTIONS',
        'ABUSE_OF_POWER',
      ]),
      GRASSROOTS: supplement(['MASS_LINE_BASICS', 'LANKAO_SPEECH'], [], GRASSROOTS_CATEGORIES, true),
      NON_PUBLIC_SOCIAL: supplement(['MASS_LINE_BASICS'], [], GRASSROOTS_CATEGORIES),
    },
  },
});
