import DataLoader from 'dataloader';
import type { Database } from '../db/client.js';
import type { CustomerRfm } from './rfm.js';
import { rfmForCustomers } from './rfm.js';

/** A request's customer RFM: every customer asked in one tick, at one instant, in one statement. */
export class RfmLoader {
  private readonly byInstant = new Map<number, DataLoader<number, CustomerRfm | null>>();

  constructor(
    private readonly db: Database,
    private readonly workspaceId: number,
  ) {}

  load(customerId: number, at: Date): Promise<CustomerRfm | null> {
    let loader = this.byInstant.get(at.getTime());
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const values = await rfmForCustomers(this.db, this.workspaceId, ids, at);
        return ids.map((id) => values.get(id) ?? null);
      });
      this.byInstant.set(at.getTime(), loader);
    }
    return loader.load(customerId);
  }
}
