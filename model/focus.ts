// FOCUS 1.2 column names: the shape every billing source is read into, the sample is written in, and the
// AWS Data Export selects.
export const FOCUS_1_2_COLUMNS = [
  "AvailabilityZone", "BilledCost", "BillingAccountId", "BillingAccountName", "BillingAccountType", "BillingCurrency",
  "BillingPeriodEnd", "BillingPeriodStart", "CapacityReservationId", "CapacityReservationStatus", "ChargeCategory",
  "ChargeClass", "ChargeDescription", "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart",
  "CommitmentDiscountCategory", "CommitmentDiscountId", "CommitmentDiscountName", "CommitmentDiscountQuantity",
  "CommitmentDiscountStatus", "CommitmentDiscountType", "CommitmentDiscountUnit", "ConsumedQuantity", "ConsumedUnit",
  "ContractedCost", "ContractedUnitPrice", "EffectiveCost", "InvoiceId", "InvoiceIssuerName", "ListCost", "ListUnitPrice",
  "PricingCategory", "PricingCurrency", "PricingCurrencyContractedUnitPrice", "PricingCurrencyEffectiveCost",
  "PricingCurrencyListUnitPrice", "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "RegionId",
  "RegionName", "ResourceId", "ResourceName", "ResourceType", "ServiceCategory", "ServiceName", "ServiceSubcategory",
  "SkuId", "SkuMeter", "SkuPriceDetails", "SkuPriceId", "SubAccountId", "SubAccountName", "SubAccountType", "Tags",
] as const;

export type FocusColumn = (typeof FOCUS_1_2_COLUMNS)[number];

/** Money columns: read and summed as exact decimals, never as floating point. */
export const FOCUS_COST_COLUMNS = ["BilledCost", "EffectiveCost", "ListCost", "ContractedCost", "PricingCurrencyEffectiveCost"] as const;
export const FOCUS_PRICE_COLUMNS = ["ListUnitPrice", "ContractedUnitPrice", "PricingCurrencyListUnitPrice", "PricingCurrencyContractedUnitPrice"] as const;
export const FOCUS_QUANTITY_COLUMNS = ["PricingQuantity", "ConsumedQuantity", "CommitmentDiscountQuantity"] as const;
export const FOCUS_TIME_COLUMNS = ["BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodStart", "ChargePeriodEnd"] as const;

/** The columns a cost report cannot do without. */
export const FOCUS_REQUIRED_COLUMNS = ["BilledCost", "EffectiveCost", "BillingCurrency", "BillingPeriodStart", "ChargeCategory", "ProviderName", "ServiceName"] as const;
