// Package science is liftplan's training-science engine: the exercise
// catalogue, the analysis of one submission (volume landmarks, priorities,
// split, weekly targets, time budget), the built-in program generator, and
// the validator and enhancer that check every program, built-in or LLM-made,
// against the rules of shared/DOMAIN.md.
//
// The package is pure: no database, no HTTP, no clock, no randomness. The
// same input always gives the same analysis and the same program, which is
// what makes programs cacheable and findings reproducible.
package science
