// Package performance computes a mission's performance indicators and what is built on them.
//
// It computes a mission's protection and performance indicators from the data
// Vigil already holds — with their uncertainty, data coverage, provenance and
// an honest status against targets — and builds on them the results framework,
// the withdrawal watch and the monthly leadership brief.
package performance
