import { UnitEntity } from '../units/unit.entity.js';
import { AuditCheckpointEntity, AuditCheckpointHeadEntity } from '../audit/audit.entities.js';
import { WORKFLOW_ENTITIES } from '../workflow/workflow.entities.js';

export const ENTITIES = [UnitEntity, ...WORKFLOW_ENTITIES, AuditCheckpointEntity, AuditCheckpointHeadEntity];
