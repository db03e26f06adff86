package science
const zzRule = "strength_lifts"
