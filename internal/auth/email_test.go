package auth

import (
	"strings"
	"testing"
)

func TestCanonicalEmail(t *testing.T) {
	tests := []struct {
		in, want string
		refused  bool
	}{
		{"  Name@Example.COM ", "name@example.com", false},
		{"ｎａｍｅ@example.com", "name@example.com", false}, // full-width letters map to ASCII
		{"жена@пример.рф", "жена@пример.рф", false},     // one script per part is fine
		{"user@пример.рф", "user@пример.рф", false},
		{"usеr@example.com", "", true},     // Cyrillic е inside a Latin word
		{"admin@exаmple.com", "", true},    // Cyrillic а in the domain
		{"асе@example.com", "", true},      // only Cyrillic letters that read as Latin ("ace")
		{"ορα@example.com", "", true},      // Greek look-alikes
		{"a\u200bb@example.com", "", true}, // zero-width space: PRECIS refuses it
		{"a b@example.com", "", true},
	}
	for _, tt := range tests {
		got, err := CanonicalEmail(tt.in)
		if (err != nil) != tt.refused || got != tt.want {
			t.Errorf("CanonicalEmail(%q) = %q, %v; want %q, refused %v", tt.in, got, err, tt.want, tt.refused)
		}
	}
}

func TestValidateRefusesLookalikesAndControlCharacters(t *testing.T) {
	tests := []struct {
		n     NewUser
		field string
	}{
		{NewUser{Email: "usеr@example.com", Password: "long enough password"}, "email"},
		{NewUser{Email: "user@example.com", Password: "long enough\x00password"}, "password"},
		{NewUser{Email: "user@example.com", Password: "long enough\x1bpassword"}, "password"},
		{NewUser{Email: "user@example.com", Password: "long enough\u0085password"}, "password"},
	}
	for _, tt := range tests {
		errs := tt.n.Validate()
		if len(errs) != 1 || errs[0].Field != tt.field {
			t.Errorf("Validate(%q, %q) = %v, want one error on %s", tt.n.Email, tt.n.Password, errs, tt.field)
		}
	}
	if errs := (NewUser{Email: "user@example.com", Password: "a long enough pässwörd ✓"}).Validate(); len(errs) != 0 {
		t.Errorf("a valid account was refused: %v", errs)
	}
	if strings.Contains(latinLookalikes, "a") {
		t.Error("the look-alike list must hold only non-Latin letters")
	}
}
