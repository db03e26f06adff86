package auth

import (
	"errors"
	"strings"
	"unicode"

	"golang.org/x/text/secure/precis"
)

// errLookalikeEmail refuses addresses that mix scripts in one part, or that spell in another
// script what reads as Latin ("аdmin" with a Cyrillic "а"): they impersonate other accounts.
var errLookalikeEmail = errors.New("email mixes look-alike scripts")

// CanonicalEmail returns the form an address is stored and looked up in: trimmed, then PRECIS
// UsernameCaseMapped (width mapping, case mapping, NFC; control and unassigned code points
// refused), and refused when a part mixes scripts or is written in look-alike letters.
func CanonicalEmail(email string) (string, error) {
	out, err := precis.UsernameCaseMapped.String(strings.TrimSpace(email))
	if err != nil {
		return "", err
	}
	at := strings.LastIndexByte(out, '@')
	if at < 0 {
		return out, nil // not an address; Validate says so
	}
	parts := append([]string{out[:at]}, strings.Split(out[at+1:], ".")...)
	for _, p := range parts {
		if lookalike(p) {
			return "", errLookalikeEmail
		}
	}
	return out, nil
}

// NormalizeEmail is CanonicalEmail for lookups: an address PRECIS refuses becomes a lower-cased
// string that belongs to no account (signup refuses it), so it can still be throttled.
func NormalizeEmail(email string) string {
	if out, err := CanonicalEmail(email); err == nil {
		return out
	}
	return strings.ToLower(strings.TrimSpace(email))
}

// scriptGroups are the scripts a part of an address may be written in; Japanese and Korean
// mix Han with their own scripts, so those count as one group.
var scriptGroups = []struct {
	name   string
	tables []*unicode.RangeTable
}{
	{"latin", []*unicode.RangeTable{unicode.Latin}},
	{"cyrillic", []*unicode.RangeTable{unicode.Cyrillic}},
	{"greek", []*unicode.RangeTable{unicode.Greek}},
	{"cjk", []*unicode.RangeTable{unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul}},
	{"arabic", []*unicode.RangeTable{unicode.Arabic}},
	{"hebrew", []*unicode.RangeTable{unicode.Hebrew}},
	{"devanagari", []*unicode.RangeTable{unicode.Devanagari}},
	{"thai", []*unicode.RangeTable{unicode.Thai}},
	{"armenian", []*unicode.RangeTable{unicode.Armenian}},
	{"georgian", []*unicode.RangeTable{unicode.Georgian}},
}

// latinLookalikes are Cyrillic and Greek lower-case letters that render like Latin ones: a part
// spelled only with them reads as a Latin word ("асе" for "ace").
const latinLookalikes = "аеорсухіјѕԁԛԝһӏԛѵ" + "αβεικνορτυχ"

// lookalike reports whether part mixes script groups, or is non-Latin made only of Latin look-alikes.
func lookalike(part string) bool {
	group := ""
	onlyLookalikes, letters := true, 0
	for _, r := range part {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		g := groupOf(r)
		if group != "" && g != group {
			return true
		}
		group = g
		if !strings.ContainsRune(latinLookalikes, r) {
			onlyLookalikes = false
		}
	}
	return letters > 0 && group != "latin" && onlyLookalikes
}

func groupOf(r rune) string {
	for _, g := range scriptGroups {
		for _, t := range g.tables {
			if unicode.Is(t, r) {
				return g.name
			}
		}
	}
	return "other"
}
