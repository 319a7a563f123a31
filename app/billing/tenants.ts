import {
  type BillingContactChanges,
  type ClosureReason,
  type SuspensionReason,
  type TenantChanges,
  type TenantRegistrationInput,
  type TenantState,
  tenantDecider,
} from '../../domain/tenant/index.ts';
import { type CommandContext, type CommandOutcome, handleCommand } from '../command-handler.ts';
import { type BillingDeps, loadState } from './support.ts';
import { tenantStreamName } from '../../domain/tenant/tenant.ts';

/**
 * Tenant use cases: one command on one stream (`tenant-<tenantId>`) each, so `handleCommand` gives
 * them their idempotency (the key's event ids) and their concurrency (the expected revision).
 */

// The domain names its streams; the use cases re-export the name for their callers.
export { tenantStreamName };

type TenantOutcome = CommandOutcome<Parameters<typeof tenantDecider.evolve>[1]>;

export async function registerTenant(
  deps: BillingDeps,
  input: { readonly tenantId: string; readonly details: TenantRegistrationInput },
  context: CommandContext,
): Promise<TenantOutcome> {
  return handleCommand(
    deps.store,
    tenantDecider,
    tenantStreamName(input.tenantId),
    { type: 'RegisterTenant', tenantId: input.tenantId, details: input.details, now: context.occurredAt },
    context,
  );
}

export async function updateTenant(
  deps: BillingDeps,
  input: { readonly tenantId: string; readonly changes: TenantChanges },
  context: CommandContext,
): Promise<TenantOutcome> {
  return handleCommand(
    deps.store,
    tenantDecider,
    tenantStreamName(input.tenantId),
    {
      type: 'UpdateTenantDetails',
      tenantId: input.tenantId,
      changes: input.changes,
      now: context.occurredAt,
    },
    context,
  );
}

/**
 * The tenant's own admin changes where invoices go (e-mail, phone, address) and nothing else; the
 * decider records it as a details update of the fields that changed.
 */
export async function changeBillingContact(
  deps: BillingDeps,
  input: { readonly tenantId: string; readonly contact: BillingContactChanges },
  context: CommandContext,
): Promise<TenantOutcome> {
  return handleCommand(
    deps.store,
    tenantDecider,
    tenantStreamName(input.tenantId),
    {
      type: 'ChangeBillingContact',
      tenantId: input.tenantId,
      contact: input.contact,
      now: context.occurredAt,
    },
    context,
  );
}

export async function suspendTenant(
  deps: BillingDeps,
  input: { readonly tenantId: string; readonly reason: SuspensionReason; readonly note?: string | null },
  context: CommandContext,
): Promise<TenantOutcome> {
  return handleCommand(
    deps.store,
    tenantDecider,
    tenantStreamName(input.tenantId),
    {
      type: 'SuspendTenant',
      tenantId: input.tenantId,
      reason: input.reason,
      note: input.note ?? null,
      now: context.occurredAt,
    },
    context,
  );
}

export async function reactivateTenant(
  deps: BillingDeps,
  input: { readonly tenantId: string },
  context: CommandContext,
): Promise<TenantOutcome> {
  return handleCommand(
    deps.store,
    tenantDecider,
    tenantStreamName(input.tenantId),
    { type: 'ReactivateTenant', tenantId: input.tenantId, now: context.occurredAt },
    context,
  );
}

export async function closeTenant(
  deps: BillingDeps,
  input: { readonly tenantId: string; readonly reason: ClosureReason; readonly note?: string | null },
  context: CommandContext,
): Promise<TenantOutcome> {
  return handleCommand(
    deps.store,
    tenantDecider,
    tenantStreamName(input.tenantId),
    {
      type: 'CloseTenant',
      tenantId: input.tenantId,
      reason: input.reason,
      note: input.note ?? null,
      now: context.occurredAt,
    },
    context,
  );
}

export async function loadTenant(deps: BillingDeps, tenantId: string): Promise<TenantState> {
  return loadState(deps.store, tenantStreamName(tenantId), tenantDecider);
}
