import type { CorrectingRules, KindRules, ListeningRules, Rulebook, StudyRules } from './rulebook.js';
import { deepFreeze } from './json.js';

const NO_STUDY: StudyRules = {
  concentratedDays: 0,
  thematicSeminars: 0,
  lecturerPerLeader: false,
  groupDiscussions: 0,
  ethicsTrainings: 0,
  filmScreenings: 0,
  partyLectures: 0,
  anySessions: 0,
  dwellDays: 0,
};

const listening = (minOpinions: number, collectiveDeliberation = false): ListeningRules => ({
  minOpinions,
  faceToFacePercent: 60,
  fourStylesPercent: 50,
  collectiveDeliberation,
});

const CORRECTING: CorrectingRules = { minProblemsIdentified: 1 };

const DIRECT_UNIT_RULES: KindRules = {
  study: { ...NO_STUDY, concentratedDays: 2, groupDiscussions: 1, dwellDays: 3 },
  listening: listening(10),
  correcting: CORRECTING,
  stageDwellDays: 14,
};

/** Rulebook v1: the central notice's numbers ("source": from the 2014 notice; "default": ours where it gives none). */
export const RULEBOOK_V1: Rulebook = deepFreeze({
  version: 1,
  ruleset: 1,
  timeZone: 'Asia/Shanghai',
  reworkDwellDays: 7,
  faceToFaceChannels: ['FACE_TO_FACE', 'HOME_VISIT', 'FORUM', 'CONDUCT_REVIEW'],
  fourStylesCategories: ['FORMALISM', 'BUREAUCRATISM', 'HEDONISM', 'EXTRAVAGANCE'],
  lookBackItemRegions: {
    STUDY: ['study'],
    LISTENING: ['listening'],
    COMBINED: ['correcting'],
    STYLE: ['study', 'listening', 'correcting'],
  },
  kinds: {
    LEADERSHIP_BODY: {
      study: { ...NO_STUDY, concentratedDays: 5, thematicSeminars: 2, lecturerPerLeader: true, dwellDays: 5 },
      listening: listening(20, true),
      correcting: CORRECTING,
      stageDwellDays: 20,
    },
    DIRECT_UNIT: DIRECT_UNIT_RULES,
    TOWNSHIP_STREET: DIRECT_UNIT_RULES,
    WINDOW_SERVICE: { ...DIRECT_UNIT_RULES, study: { ...DIRECT_UNIT_RULES.study, ethicsTrainings: 1 } },
    GRASSROOTS: {
      study: { ...NO_STUDY, groupDiscussions: 1, filmScreenings: 1, partyLectures: 1, dwellDays: 1 },
      listening: listening(5),
      correcting: CORRECTING,
      stageDwellDays: 10,
    },
    NON_PUBLIC_SOCIAL: {
      study: { ...NO_STUDY, anySessions: 1, dwellDays: 1 },
      listening: listening(3),
      correcting: CORRECTING,
      stageDwellDays: 7,
    },
  },
});
