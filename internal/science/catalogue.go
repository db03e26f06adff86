package science

import (
	"slices"
	"strings"
	"sync"
)

// CatalogueExercise is one exercise of liftplan's own catalogue.
type CatalogueExercise struct {
	// ID is the stable snake_case identifier programs refer to.
	ID string `json:"id"`
	// Name is the display name.
	Name string `json:"name"`
	// Pattern is the movement pattern; substitutes keep it.
	Pattern string `json:"pattern"`
	// Mechanic is compound or isolation.
	Mechanic string `json:"mechanic"`
	// Equipment lists everything the exercise needs; empty means bodyweight.
	Equipment []string `json:"equipment"`
	// PrimaryMuscles are the prime movers (1–2); their sets count as direct sets.
	PrimaryMuscles []string `json:"primary_muscles"`
	// SecondaryMuscles count as half a set each.
	SecondaryMuscles []string `json:"secondary_muscles"`
	// Contraindications are injury names that exclude the exercise.
	Contraindications []string `json:"contraindications"`
	// Level is the minimum experience level for the exercise.
	Level string `json:"level"`
	// Substitutes are ids sharing the pattern or the first primary muscle, best first.
	Substitutes []string `json:"substitutes"`
	// CanPin marks lifts that can trap you under the bar; never below RIR 1.
	CanPin bool `json:"can_pin"`
	// Hold marks isometric work prescribed in seconds (10–90 s), not reps.
	Hold bool `json:"hold"`
	// Unilateral marks exercises done one side at a time (twice the working time).
	Unilateral bool `json:"unilateral"`
	// Quality ranks the exercise for a coach, 0 best: stable and loadable
	// first, kettlebells, bands, bodyweight, then improvised variants.
	Quality int `json:"quality"`

	idx     int
	primary [2]int8 // muscle indices, -1 when absent
	second  []int8
}

// Catalogue returns a copy of the whole exercise catalogue in curated order.
func Catalogue() []CatalogueExercise {
	return slices.Clone(catalogue().list)
}

// LookupExercise returns the catalogue entry for an id.
func LookupExercise(id string) (CatalogueExercise, bool) {
	i, ok := catalogue().byID[id]
	if !ok {
		return CatalogueExercise{}, false
	}
	return catalogue().list[i], true
}

// catalogueIndex is the parsed catalogue with lookups built once.
type catalogueIndex struct {
	list   []CatalogueExercise
	byID   map[string]int
	ranked []int // indices by quality, curated order within a tier
}

// catalogue parses the rows once; sync.OnceValue instead of init() keeps
// start-up free of hidden work (STYLE: no init registration).
var catalogue = sync.OnceValue(func() *catalogueIndex {
	c := &catalogueIndex{byID: make(map[string]int, len(catalogueRows))}
	for i, r := range catalogueRows {
		e := CatalogueExercise{
			ID:                r.id,
			Name:              r.name,
			Pattern:           r.pattern,
			Mechanic:          r.mechanic,
			Equipment:         fields(r.equipment),
			PrimaryMuscles:    fields(r.primary),
			SecondaryMuscles:  fields(r.secondary),
			Contraindications: fields(r.contra),
			Level:             r.level,
			CanPin:            r.pins,
			Hold:              holdIDs[r.id],
			Unilateral:        unilateralIDs[r.id],
			idx:               i,
			primary:           [2]int8{-1, -1},
		}
		for j, m := range e.PrimaryMuscles {
			if j < 2 {
				e.primary[j] = int8(muscleIndex(m))
			}
		}
		for _, m := range e.SecondaryMuscles {
			e.second = append(e.second, int8(muscleIndex(m)))
		}
		e.Quality = qualityTier(&catalogueRows[i], e.Equipment)
		c.byID[e.ID] = i
		c.list = append(c.list, e)
	}
	c.ranked = byQuality(c.list)
	for i := range c.list {
		c.list[i].Substitutes = substitutesFor(c.list, c.ranked, i)
	}
	return c
})

// maxSubstitutes bounds the substitute list; more adds noise, not choice.
const maxSubstitutes = 6

// substitutesFor derives the substitute list instead of typing it by hand so
// it can never drift from the taxonomy: exercises with the same pattern and
// first primary muscle (DOMAIN.md), best quality first; only when a pattern
// has no second exercise for the muscle, ones with the same primary muscle
// and mechanic.
func substitutesFor(list []CatalogueExercise, ranked []int, i int) []string {
	e := list[i]
	out := []string{}
	for _, j := range ranked {
		o := &list[j]
		if j != i && len(out) < maxSubstitutes && o.primary[0] == e.primary[0] && o.Pattern == e.Pattern {
			out = append(out, o.ID)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, j := range ranked {
		o := &list[j]
		if j != i && len(out) < maxSubstitutes && o.primary[0] == e.primary[0] && o.Mechanic == e.Mechanic {
			out = append(out, o.ID)
		}
	}
	return out
}

// byQuality lists catalogue indices by quality tier, curated order within
// a tier; the generator and the enhancer pick in this order.
func byQuality(list []CatalogueExercise) []int {
	out := make([]int, len(list))
	for i := range out {
		out[i] = i
	}
	slices.SortStableFunc(out, func(x, y int) int { return list[x].Quality - list[y].Quality })
	return out
}

// fields splits a space-separated list, never returning nil.
func fields(s string) []string {
	f := strings.Fields(s)
	if f == nil {
		return []string{}
	}
	return f
}

// hasPrimary reports whether muscle m is a prime mover of the exercise.
func (e *CatalogueExercise) hasPrimary(m int) bool {
	return int(e.primary[0]) == m || int(e.primary[1]) == m
}

// isCompound reports whether the exercise is a compound lift.
func (e *CatalogueExercise) isCompound() bool { return e.Mechanic == MechanicCompound }

// allowedFor reports whether a user with this equipment, these injuries and
// this level may do the exercise.
func (e *CatalogueExercise) allowedFor(equipment, injuries []string, level string) bool {
	return e.missingEquipment(equipment) == "" && e.contraindicatedBy(injuries) == "" && levelRank(e.Level) <= levelRank(level)
}

// missingEquipment returns the first piece of needed equipment the user lacks.
func (e *CatalogueExercise) missingEquipment(equipment []string) string {
	for _, need := range e.Equipment {
		if !slices.Contains(equipment, need) {
			return need
		}
	}
	return ""
}

// contraindicatedBy returns the first declared injury the exercise is tagged with.
func (e *CatalogueExercise) contraindicatedBy(injuries []string) string {
	for _, tag := range e.Contraindications {
		if slices.Contains(injuries, tag) {
			return tag
		}
	}
	return ""
}
