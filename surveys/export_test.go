package surveys

// CheckRakeValues is checkRakeValues for the external tests' benchmark of
// the settings save as it was (all the rows read, then checked).
var CheckRakeValues = checkRakeValues
