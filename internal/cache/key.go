// Package cache owns the ai_coach_cache: program reuse for identical answers within CACHE_TTL.
// This file is the cache key; it also keys in-flight deduplication of submissions.
package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"liftplan/internal/science"
)

// Key returns the cache key of one submission:
// program:u{userID}:paid{true|false}:d{hex sha256}, where the hash covers canonical JSON of
// {onboarding_responses, has_paid_access} plus the generator version, so a prompt, model or
// schema change never serves an old program. A hash (never base64 of the answers) keeps every
// key 100 bytes or so, far below PostgreSQL's index entry limit, whatever the notes hold.
func Key(userID int64, in science.Input, generatorVersion string) string {
	digest := Digest(in, generatorVersion)
	return fmt.Sprintf("program:u%d:paid%t:d%s", userID, in.HasPaidAccess, digest)
}

// Digest is the hex SHA-256 of the canonical answers and generator version.
func Digest(in science.Input, generatorVersion string) string {
	sum := sha256.Sum256(Canonical(in, generatorVersion))
	return hex.EncodeToString(sum[:])
}

// Canonical is the canonical JSON that Digest hashes: sorted keys (encoding/json sorts map keys),
// sorted and de-duplicated multi-selects, integers as integers, trimmed notes.
func Canonical(in science.Input, generatorVersion string) []byte {
	norm := func(list []string) []string {
		out := make([]string, 0, len(list))
		for _, v := range list {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	doc := map[string]any{
		"onboarding_responses": map[string]any{
			"goal":            in.Goal,
			"experience":      in.Experience,
			"days_per_week":   json.Number(strconv.Itoa(in.DaysPerWeek)),
			"session_minutes": json.Number(strconv.Itoa(in.SessionMinutes)),
			"equipment":       norm(in.Equipment),
			"injuries":        norm(in.Injuries),
			"weak_points":     norm(in.WeakPoints),
			"notes":           strings.TrimSpace(in.Notes),
		},
		"has_paid_access":   in.HasPaidAccess,
		"generator_version": generatorVersion,
	}
	// A next block is keyed by the block it follows and by what its log said, so a new log is
	// never answered with an old block. First blocks keep their keys unchanged.
	if in.PreviousProgramID != 0 {
		doc["previous_program_id"] = json.Number(strconv.FormatInt(in.PreviousProgramID, 10))
	}
	if in.LogSummary != nil {
		doc["log_summary"] = in.LogSummary
	}
	b, _ := json.Marshal(doc) // maps, strings, numbers, bools and the log summary's plain structs always marshal
	return b
}
