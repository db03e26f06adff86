package auth

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not record argon2id with OWASP parameters", h)
	}
	h2, _ := HashPassword("correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		hash, password string
		want           bool
		wantErr        bool
	}{
		{h, "correct horse battery staple", true, false},
		{h, "correct horse battery stapler", false, false},
		{h, "", false, false},
		{"$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", "x", false, true},
		{"not a hash", "x", false, true},
		{"$argon2id$v=19$m=19456,t=2,p=1$!!!$aGFzaA", "x", false, true},
	}
	for _, tt := range tests {
		got, err := CheckPassword(tt.hash, tt.password)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("CheckPassword(%.30q, %q) = %v, %v; want %v, error %v", tt.hash, tt.password, got, err, tt.want, tt.wantErr)
		}
	}
}
