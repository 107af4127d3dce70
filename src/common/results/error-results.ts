import { Field, Int, InterfaceType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLISODateTime } from '@nestjs/graphql';

/** Every expected failure a client can switch on. A new code must get a result type below. */
export enum ErrorCode {
  NOT_FOUND = 'NOT_FOUND',
  INVALID_INPUT = 'INVALID_INPUT',
  TRANSITION_BLOCKED = 'TRANSITION_BLOCKED',
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  NOT_ALLOWED_IN_STATE = 'NOT_ALLOWED_IN_STATE',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  RULEBOOK_REFUSED = 'RULEBOOK_REFUSED',
}
registerEnumType(ErrorCode, {
  name: 'ErrorCode',
  description: 'The kind of an expected failure, the same as its result type.',
});

@InterfaceType('ErrorResult', { description: 'An expected failure returned as data: nothing was written.' })
export abstract class ErrorResult {
  @Field(() => ErrorCode)
  errorCode: ErrorCode;
  @Field()
  message: string;
}

@ObjectType({ implements: () => [ErrorResult] })
export class NotFound implements ErrorResult {
  readonly __typename = 'NotFound';
  errorCode = ErrorCode.NOT_FOUND;
  message: string;
  @Field({ description: 'What was looked for: Unit, Opinion, Problem, Finding.' })
  entity: string;
  @Field()
  id: string;
}

@ObjectType({ implements: () => [ErrorResult] })
export class InvalidInput implements ErrorResult {
  readonly __typename = 'InvalidInput';
  errorCode = ErrorCode.INVALID_INPUT;
  message: string;
  @Field(() => String, { nullable: true, description: 'The input field at fault, when there is one.' })
  field: string | null;
}

@ObjectType()
export class Blocker {
  @Field({ description: 'Stable code (the list with what each means: docs/domain.md).' })
  code: string;
  @Field()
  message: string;
  @Field(() => String, { nullable: true })
  required: string | null;
  @Field(() => String, { nullable: true })
  actual: string | null;
}

@ObjectType({ implements: () => [ErrorResult] })
export class TransitionBlocked implements ErrorResult {
  readonly __typename = 'TransitionBlocked';
  errorCode = ErrorCode.TRANSITION_BLOCKED;
  message: string;
  @Field()
  event: string;
  @Field(() => [Blocker], { description: 'Every unmet condition, not only the first.' })
  blockers: Blocker[];
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Set only when time alone stands in the way.' })
  earliestAt: Date | null;
}

@ObjectType({ implements: () => [ErrorResult] })
export class VersionConflict implements ErrorResult {
  readonly __typename = 'VersionConflict';
  errorCode = ErrorCode.VERSION_CONFLICT;
  message: string;
  @Field(() => Int)
  currentVersion: number;
}

@ObjectType({ implements: () => [ErrorResult] })
export class NotAllowedInState implements ErrorResult {
  readonly __typename = 'NotAllowedInState';
  errorCode = ErrorCode.NOT_ALLOWED_IN_STATE;
  message: string;
  @Field(() => [String])
  activeStates: string[];
}

@ObjectType({ implements: () => [ErrorResult] })
export class IdempotencyKeyReused implements ErrorResult {
  readonly __typename = 'IdempotencyKeyReused';
  errorCode = ErrorCode.IDEMPOTENCY_KEY_REUSED;
  message: string;
}

export const notFound = (entity: string, id: string): NotFound =>
  Object.assign(new NotFound(), { entity, id, message: `${entity} ${id} was not found.` });

export const invalidInput = (message: string, field: string | null = null): InvalidInput =>
  Object.assign(new InvalidInput(), { message, field });

/**
 * A record a command refers to (an opinion, a problem, a finding) must exist and belong to the command's unit:
 * `ownerUnitId` is the unit it belongs to, or undefined when there is no such record. Answers the failure, or
 * undefined when it belongs.
 */
export function mustBelong(
  ownerUnitId: string | undefined,
  ref: { entity: string; id: string; field: string; unitId: string; elsewhere: string },
): NotFound | InvalidInput | undefined {
  if (ownerUnitId === undefined) return notFound(ref.entity, ref.id);
  if (ownerUnitId !== ref.unitId) return invalidInput(ref.elsewhere, ref.field);
  return undefined;
}

export const versionConflict = (currentVersion: number, expected: number): VersionConflict =>
  Object.assign(new VersionConflict(), {
    currentVersion,
    message: `expectedVersion ${expected} is stale: the unit is at version ${currentVersion}. Reload and retry.`,
  });

export const notAllowedInState = (message: string, activeStates: string[]): NotAllowedInState =>
  Object.assign(new NotAllowedInState(), { message, activeStates });

export const idempotencyKeyReused = (key: string): IdempotencyKeyReused =>
  Object.assign(new IdempotencyKeyReused(), {
    message: `idempotencyKey "${key}" was already used by you with a different input.`,
  });

export const transitionBlocked = (event: string, blockers: Blocker[], earliestAt: Date | null): TransitionBlocked =>
  Object.assign(new TransitionBlocked(), {
    event,
    blockers,
    earliestAt,
    message: `${event} is blocked: ${blockers.map((b) => b.code).join(', ')}`,
  });

/**
 * What each kind of command can answer besides its success. A result union lists exactly these: evidence and
 * supervision commands are never blocked by gates (only stage events are), and creating a unit has no version.
 */
export const EVENT_COMMAND_FAILURES = [
  VersionConflict,
  NotAllowedInState,
  InvalidInput,
  IdempotencyKeyReused,
  NotFound,
] as const;
export const STAGE_EVENT_FAILURES = [TransitionBlocked, ...EVENT_COMMAND_FAILURES] as const;
export const CREATE_UNIT_FAILURES = [InvalidInput, IdempotencyKeyReused, NotFound] as const;

export type EventCommandFailure = InstanceType<(typeof EVENT_COMMAND_FAILURES)[number]>;
export type StageEventFailure = InstanceType<(typeof STAGE_EVENT_FAILURES)[number]>;
