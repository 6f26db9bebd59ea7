/**
 * Budget impact and payment models (docs/budget-impact.md): `runBudget` for the model's own
 * parameters, `runBudgetPsa` over PSA draws, and the parts they are made of.
 */
export * from './settings';
export * from './population';
export * from './uptake';
export * from './profiles';
export * from './budgetImpact';
export * from './failure';
export * from './paymentModels';
export * from './runBudget';
export * from './budgetPsa';
