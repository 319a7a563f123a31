import type { MeterTermsJson, PlanTermsJson } from '../../domain/catalog/plan.ts';

export interface PlanRow {
  plan_code: string;
  name: string;
  status: 'published' | 'retired';
  latest_version: number;
  pricing: PlanTermsJson['pricing'];
  trial_days: number;
  meters: MeterTermsJson[];
  published_at: Date;
  retired_at: Date | null;
  position: string;
}

export interface PlanVersionRow {
  plan_code: string;
  version: number;
  name: string;
  pricing: PlanTermsJson['pricing'];
  trial_days: number;
  meters: MeterTermsJson[];
  published_at: Date;
}

export interface PlansTables {
  rm_plans: PlanRow;
  rm_plan_versions: PlanVersionRow;
}
