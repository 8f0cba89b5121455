import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Ledger } from '@metrology-ledger/ledger';
import { Roles } from '../auth/RolesGuard';
import { collectComplianceStatus } from '../reads/collectComplianceStatus';
import { collectDeadlines } from '../reads/collectDeadlines';
import { assertStationId } from './assertStationId';
import { DeadlinesQueryDto } from './DeadlinesQueryDto';

/** What is due or overdue, and which stations must be out of service. Operators and auditors read it. */
@ApiTags('operator')
@ApiBearerAuth()
@Roles('operator', 'auditor')
@Controller('compliance')
export class ComplianceController {
  constructor(@Inject(Ledger) private readonly ledger: Ledger) {}

  /**
   * Every station's deadlines, soonest first, and the stations whose commissioning record cannot be
   * read (`unreadable`, with the problem). Source: ledger API (`stationsWith('station')`, `eventsOf`).
   */
  @Get('deadlines')
  async deadlines(@Query() q: DeadlinesQueryDto) {
    const { deadlines, unreadable } = await collectDeadlines(this.ledger, new Date());
    return { deadlines: deadlines.filter((d) => q.state === undefined || d.state === q.state), unreadable };
  }

  /** Out of service while a critical catalogue fault is active, with the reasons. Source: ledger API (`stationStream(id, 'faults')`, `eventsOf`). */
  @Get('stations/:stationId')
  station(@Param('stationId') stationId: string) {
    assertStationId(stationId);
    return collectComplianceStatus(this.ledger, stationId);
  }
}
