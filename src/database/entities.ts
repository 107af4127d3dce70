import { UnitEntity } from '../units/unit.entity.js';

export const ENTITIES = [UnitEntity];
