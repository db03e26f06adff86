package llmtest

import (
	"sync"

	"github.com/tiktoken-go/tokenizer"
)

// codec is o200k_base, gpt-4o's tokenizer; its tables are embedded in the module, so counting
// works offline. The fake counts with it so its pace and its output cap are those of a real
// model on the same text, and tests measure prompts and answers with it.
var codec = sync.OnceValue(func() tokenizer.Codec {
	c, err := tokenizer.Get(tokenizer.O200kBase)
	if err != nil {
		panic("llmtest: o200k_base tokenizer: " + err.Error())
	}
	return c
})

// CountTokens is the number of o200k_base tokens of s.
func CountTokens(s string) int {
	n, err := codec().Count(s)
	if err != nil {
		return len(tokenPieces(s))
	}
	return n
}

// tokenPieces splits s into its o200k_base tokens, as text; joined they are s again.
func tokenPieces(s string) []string {
	if s == "" {
		return nil
	}
	_, pieces, err := codec().Encode(s)
	if err != nil {
		return []string{s}
	}
	return pieces
}
