package llm

// BuildMessagesForTest exposes the first request's conversation to the external tests.
var BuildMessagesForTest = buildMessages
