package derrors

import (
	"errors"
	"fmt"
	"testing"
)

func TestClassification(t *testing.T) {
	notFound := New(NotFound, "")
	cause := errors.New("503 from upstream")
	tests := []struct {
		name      string
		err       error
		permanent bool
		operator  bool
		message   string
		kind      Kind
	}{
		{"plain", cause, false, false, "", Internal},
		{"permanent", fmt.Errorf("generate: %w", Permanent("Refused.", cause)), true, false, "Refused.", Internal},
		{"for an operator", fmt.Errorf("generate: %w", ForOperator("Quota used up.", cause)), true, true, "Quota used up.", Internal},
		{"retryable", fmt.Errorf("generate: %w", Retryable("Unusable answer.", cause)), false, false, "Unusable answer.", Internal},
		{"sentinel", fmt.Errorf("get 7: %w", notFound), false, false, "", NotFound},
		{"conflict", fmt.Errorf("retry: %w", New(Conflict, "Only a failed program.")), false, false, "Only a failed program.", Conflict},
		{"message found below an unworded sentinel", &Error{Kind: Conflict, Err: Permanent("inner", cause)}, false, false, "inner", Conflict},
		{"a later wrap decides", Permanent("outer", ForOperator("inner", cause)), true, false, "outer", Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsPermanent(tt.err); got != tt.permanent {
				t.Errorf("IsPermanent = %v, want %v", got, tt.permanent)
			}
			if got := NeedsOperator(tt.err); got != tt.operator {
				t.Errorf("NeedsOperator = %v, want %v", got, tt.operator)
			}
			if got := UserMessage(tt.err); got != tt.message {
				t.Errorf("UserMessage = %q, want %q", got, tt.message)
			}
			if got := KindOf(tt.err); got != tt.kind {
				t.Errorf("KindOf = %v, want %v", got, tt.kind)
			}
		})
	}
	if !errors.Is(fmt.Errorf("x: %w", notFound), notFound) {
		t.Error("a wrapped sentinel is not errors.Is its sentinel")
	}
	if !errors.Is(Permanent("m", cause), cause) {
		t.Error("the cause is not reachable")
	}
}
