/** Input given to a rebuild that can never be planned (a missing articles.csv); permanent by name (core's failure kinds). */
export class PlanInputError extends Error {
  override readonly name = 'PlanInputError';
}
