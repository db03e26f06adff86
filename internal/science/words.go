package science

import (
	"fmt"
	"regexp"
	"strings"
)

// Sentences about muscles agree in number with the muscles they name:
// "chest" and "back" are singular nouns, every other muscle name is plural
// ("side delts", "abs"), and a list of two or more is plural. Every such
// sentence goes through sayMuscles, so "Your back are a weak point" cannot
// be written (words_test.go renders each template for every muscle).

// singularMuscles are the muscle names that take a singular verb.
var singularMuscles = []string{"chest", "back"}

// musclesAreSingular reports whether names, as one subject, take a singular
// verb: exactly one muscle with a singular name.
func musclesAreSingular(names []string) bool {
	if len(names) != 1 {
		return false
	}
	n := strings.ReplaceAll(names[0], "_", " ")
	for _, s := range singularMuscles {
		if n == s {
			return true
		}
	}
	return false
}

// muscleSlot is a template slot: {m} and {M} for the names (the second
// capitalised), {singular|plural} for a verb or pronoun in both numbers.
var muscleSlot = regexp.MustCompile(`\{([^{}|]*)\|([^{}|]*)\}|\{m\}|\{M\}`)

// sayMuscles renders a sentence template about the muscles named: {m} is
// replaced by their names ("side delts", "chest and back"), {M} by the same
// capitalised, {is|are} (any singular|plural pair) by the form that agrees
// with them; the rest is a fmt format for args.
func sayMuscles(format string, names []string, args ...any) string {
	one := musclesAreSingular(names)
	text := muscleSlot.ReplaceAllStringFunc(format, func(slot string) string {
		switch slot {
		case "{m}":
			return joinMuscles(names)
		case "{M}":
			return capitalize(joinMuscles(names))
		}
		pair := muscleSlot.FindStringSubmatch(slot)
		if one {
			return pair[1]
		}
		return pair[2]
	})
	if len(args) == 0 {
		return text
	}
	return fmt.Sprintf(text, args...)
}

// sayMuscle is sayMuscles for one muscle by index.
func sayMuscle(format string, m int, args ...any) string {
	return sayMuscles(format, []string{Muscles[m]}, args...)
}
