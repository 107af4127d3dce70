import { AuditQueriesService } from '../../../src/audit/audit-queries.service.js';
import { AuditRepository } from '../../../src/audit/audit.repository.js';
import { AuditService } from '../../../src/audit/audit.service.js';
import type { Db } from '../../../src/database/db.js';
import { testConfig } from '../../support/test-app.js';
import type { CampaignServices } from './campaign-story.js';

/** The audit services on the same database, store and clock as a medium test's command path. */
export function auditServices(
  db: Db,
  services: Pick<CampaignServices, 'store' | 'clock' | 'access' | 'rulebooks'>,
  auditKey: string | null = 'medium-audit-key',
) {
  const repository = new AuditRepository(db);
  const audit = new AuditService(
    repository,
    services.store,
    services.clock,
    testConfig({ auditKey }),
    services.rulebooks,
  );
  const queries = new AuditQueriesService(audit, services.access);
  return { repository, audit, queries };
}
