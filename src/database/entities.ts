import { AuditCheckpointEntity, AuditCheckpointHeadEntity } from '../audit/audit.entities.js';
import { ServiceClockEntity } from '../clock/service-clock.entity.js';
import { IdempotencyKeyEntity } from '../commands/idempotency/idempotency-key.entity.js';
import { ServiceMarkerEntity } from '../demo/service-marker.entity.js';
import { EVIDENCE_ENTITIES } from '../evidence/evidence.entities.js';
import { HISTORY_ENTITIES } from '../history/history.entities.js';
import { OVERSIGHT_ENTITIES } from '../oversight/oversight.entities.js';
import { RulebookEntity } from '../rulebooks/rulebook.entity.js';
import { FindingEntity } from '../supervision/finding.entity.js';
import { UnitEntity } from '../tree/unit.entity.js';

/** Every table's entity (the migrations are the schema; a medium test proves they agree). */
export const ENTITIES = [
  UnitEntity,
  ...HISTORY_ENTITIES,
  IdempotencyKeyEntity,
  ...EVIDENCE_ENTITIES,
  FindingEntity,
  AuditCheckpointEntity,
  AuditCheckpointHeadEntity,
  ServiceClockEntity,
  ServiceMarkerEntity,
  ...OVERSIGHT_ENTITIES,
  RulebookEntity,
];
