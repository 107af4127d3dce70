/**
 * The API's blocker and refusal messages in Chinese (zh-CN), in the terms of the 2014 notice. Codes and the
 * `required` / `actual` values stay as they are: only the sentence for a person changes.
 */

/** What each blocker code means, as a short Chinese sentence (the code list: docs/domain.md). */
export const BLOCKER_ZH: Readonly<Record<string, string>> = {
  STUDY_PLAN_MISSING: '尚未报送学习计划（学习重点、时间、方法、要求），不能启动',
  PARENT_NOT_LAUNCHED: '上级单位尚未启动活动',
  CONCENTRATED_DAYS_SHORT: '集中学习天数不足',
  THEMATIC_SEMINARS_SHORT: '专题学习讨论次数不足',
  LECTURERS_SHORT: '讲党课的领导人数不足',
  STUDY_SESSION_MISSING: '尚无学习记录',
  GROUP_DISCUSSION_MISSING: '尚未开展分组讨论',
  ETHICS_TRAINING_MISSING: '尚未开展道德教育培训',
  PARTY_LECTURE_MISSING: '尚未讲党课',
  FILM_MISSING: '尚未观看警示教育片',
  STUDY_DWELL: '学习教育环节时间未满，不能提前结束',
  OPINIONS_SHORT: '听取意见数量不足',
  FACE_TO_FACE_SHARE_LOW: '面对面听取意见的比例偏低',
  FOUR_STYLES_SHARE_LOW: '关于“四风”问题的意见比例偏低',
  UNCLAIMED_OPINIONS: '其他单位转来的意见尚未认领',
  DELIBERATION_MISSING: '最新意见之后尚未集体研究',
  NO_PROBLEM_IDENTIFIED: '尚未查摆出问题',
  FIX_AT_ONCE_OPEN: '立行立改的问题尚未整改完毕',
  PROBLEM_OVERDUE: '有问题已超过整改期限',
  STAGE_DWELL: '第一环节时间未满，不能申请回头看',
  REWORK_DWELL: '回炉补课时间未满',
  OPEN_FINDINGS: '督导组指出的问题尚未解决',
  VERDICTS_MISSING: '回头看尚有事项未经督导组评定',
  REGIONS_NOT_MET: '尚有环节未达标，请逐项完成后再申请回头看',
  NOT_ALLOWED_IN_STATE: '当前状态下不能进行此操作',
  REQUIRED_TOPICS_MISSING: '规定学习内容尚未学完',
  PROVINCE_ACTIVITY_MISSING: '省里规定的活动（规定动作）尚未开展',
  SELF_ASSESSMENT_MISSING: '尚未就回头看四项内容作出自我评估',
};

/** The stage events, named as the notice names the steps. */
export const EVENT_ZH: Readonly<Record<string, string>> = {
  LAUNCH: '启动',
  COMPLETE_STUDY: '完成学习教育',
  COMPLETE_LISTENING: '完成听取意见',
  COMPLETE_CORRECTING: '完成边学边查边改',
  REQUEST_LOOKBACK: '申请回头看',
  CONCLUDE_LOOKBACK: '回头看结论',
};

const ENTITY_ZH: Readonly<Record<string, string>> = {
  Unit: '单位',
  Opinion: '意见',
  Problem: '问题',
  Finding: '督导意见',
};

const eventZh = (event: string): string => (EVENT_ZH[event] ? `${EVENT_ZH[event]}（${event}）` : event);

export interface BlockerLike {
  code: string;
  required: string | null;
  actual: string | null;
}

export function blockerZh(blocker: BlockerLike, english: string): string {
  const sentence = BLOCKER_ZH[blocker.code];
  if (sentence === undefined) return english;
  const parts = [
    blocker.required !== null ? `要求：${blocker.required}` : null,
    blocker.actual !== null ? `实际：${blocker.actual}` : null,
  ];
  const detail = parts.filter((p) => p !== null).join('；');
  return detail ? `${sentence}（${detail}）。` : `${sentence}。`;
}

type Source = Record<string, unknown>;
const codes = (blockers: unknown): string =>
  Array.isArray(blockers) ? blockers.map((b: BlockerLike) => b.code).join('、') : '';

/** A refusal (a result of the ErrorResult interface, by its type name) in Chinese; the English one if unknown. */
export function refusalZh(typeName: string, source: Source, english: string): string {
  switch (typeName) {
    case 'TransitionBlocked':
      return `${eventZh(String(source.event))}未获准：${codes(source.blockers)}。`;
    case 'VersionConflict':
      if (source.subject === 'rulebook')
        return `发布期间已有新的规则版本（当前最新为 v${String(source.currentVersion)}）：请先查看，再重新发布。`;
      return `expectedVersion 已过期：该单位当前版本为 ${String(source.currentVersion)}。请刷新后重试。`;
    case 'RulebookRefused': {
      const count = Array.isArray(source.reasons) ? source.reasons.length : 0;
      return `规则版本发布被拒绝：共 ${count} 条原因（见 reasons，每条附 JSON 路径）。`;
    }
    case 'NotFound':
      return `未找到${ENTITY_ZH[String(source.entity)] ?? String(source.entity)} ${String(source.id)}。`;
    case 'NotAllowedInState': {
      const states = Array.isArray(source.activeStates) ? source.activeStates.join('、') : '';
      return `当前状态（${states}）下不能进行此操作。${english}`;
    }
    case 'IdempotencyKeyReused':
      return '此 idempotencyKey 已由您用于另一个不同的输入。';
    case 'InvalidInput':
      return `输入无效${source.field ? `（字段 ${String(source.field)}）` : ''}：${english}`;
    default:
      return english;
  }
}

const FAILURE_TYPE: Readonly<Record<string, string>> = {
  TRANSITION_BLOCKED: 'TransitionBlocked',
  VERSION_CONFLICT: 'VersionConflict',
  NOT_FOUND: 'NotFound',
  NOT_ALLOWED_IN_STATE: 'NotAllowedInState',
  IDEMPOTENCY_KEY_REUSED: 'IdempotencyKeyReused',
  INVALID_INPUT: 'InvalidInput',
};

/** A refused attempt as kept in `Unit.attempts` (its failure code, the blockers, the field at fault). */
export function attemptZh(source: Source, english: string): string {
  const failure = String(source.failure);
  if (failure === 'TRANSITION_BLOCKED') return `${eventZh(String(source.command))}未获准：${codes(source.blockers)}。`;
  const type = FAILURE_TYPE[failure];
  return type && type !== 'NotFound' && type !== 'NotAllowedInState' && type !== 'VersionConflict'
    ? refusalZh(type, source, english)
    : english;
}
