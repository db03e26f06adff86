// Package science is liftplan's training-science engine: the exercise
// catalogue, the analysis of one submission (volume landmarks, priorities,
// split, weekly targets, time budget), the built-in program generator, and
// the validator and enhancer that check every program, built-in or LLM-made,
// against the rules of shared/DOMAIN.md.
//
// The package is pure: no database, no HTTP, no clock, no randomness. The
// same input always gives the same analysis and the same program, which is
// what makes programs cacheable and findings reproducible.
//
// The flow is Analyze → Generate (or an LLM) → Validate → Enhance:
//
//   - Analyze fits the plan to the time budget before any program exists:
//     it lays out the peak week with the same code the generator uses and
//     trims in DOMAIN.md's order until every day fits, so the priorities it
//     hands the LLM and the validator are ones a program can actually meet.
//   - Generate builds the peak week first and derives the other weeks by
//     taking sets away, so no week is longer than the one that was fitted.
//   - Validate recomputes everything (volume, frequency, minutes) from the
//     exercises and the catalogue; Enhance repairs on a copy and re-validates.
//
// Choices DOMAIN.md leaves open, and what we chose:
//
//   - Landmarks are planned at the 2× frequency column (the lowest MRV), the
//     conservative choice; the validator checks MRV at the frequency a
//     program actually trains a muscle, and prices once a week like 2×.
//   - Beginner MAV is scaled ×0.7 like MRV, and every MAV is clamped into
//     [MEV, MRV] because some rows (abs at 2×) list a MAV above the MRV.
//   - Floors: grow ≥ MEV; emphasize ≥ MEV, and ≥ the bottom of MAV in the
//     last accumulation week; maintain ≥ MV; a muscle the time budget left
//     to indirect coverage has floor 0 and is exported as maintain (the
//     schema's priority enum has no "indirect"), with a warning naming it.
//   - A grow muscle gets at least 2 direct sets so it can be trained twice a
//     week even when its MEV is 0; hamstrings get at least half the quads.
//   - Trim order: grow ramps halved, then flattened at MEV one muscle at a
//     time (small muscles first), emphasized peaks down to the bottom of
//     MAV, grow → maintain (small first), small muscles → indirect in
//     DOMAIN.md's order, and only then the emphasis itself is dropped.
//   - The generator targets the documented limit (session_minutes × 1.05),
//     and shortens rest in sessions under an hour (compounds 90 s,
//     isolations 60 s, heavy sets 150/120 s) rather than dropping sets.
//   - RIR 3 → 1 over the accumulation weeks, 0 on isolations in the last
//     week for non-beginners, never below 1 on lifts that can pin you; the
//     deload halves each exercise's sets at RIR 4.
//   - Warnings and fixes in the program are plain-language strings; the
//     structured findings (rule id, path) are returned by Validate/Enhance.
package science
