import { CreateUnits1764115200000 } from './1764115200000-create-units.js';
import { CreateWorkflow1764115300000 } from './1764115300000-create-workflow.js';
import { CreateAuditCheckpoints1764115400000 } from './1764115400000-create-audit-checkpoints.js';
import { CreateUnitSnapshots1764200000000 } from './1764200000000-create-unit-snapshots.js';
import { CreateServiceClock1764300000000 } from './1764300000000-create-service-clock.js';
import { CreateOversight1764400000000 } from './1764400000000-create-oversight.js';
import { CreateRulebooks1764500000000 } from './1764500000000-create-rulebooks.js';
import { AddUnitActivityPending1764700000000 } from './1764700000000-add-unit-activity-pending.js';
import { LaggardsIndexByKind1764800000000 } from './1764800000000-laggards-index-by-kind.js';
import { UnitsIndexByKind1764900000000 } from './1764900000000-units-index-by-kind.js';

/** Every migration, in order. The server applies the pending ones at boot; ormconfig.ts gives the same list to the CLI. */
export const MIGRATIONS = [
  CreateUnits1764115200000,
  CreateWorkflow1764115300000,
  CreateAuditCheckpoints1764115400000,
  CreateUnitSnapshots1764200000000,
  CreateServiceClock1764300000000,
  CreateOversight1764400000000,
  CreateRulebooks1764500000000,
  AddUnitActivityPending1764700000000,
  LaggardsIndexByKind1764800000000,
  UnitsIndexByKind1764900000000,
];
