package integrity

import "github.com/vigil-project/vigil/integrity/spike"

func spikeRule() spike.Rule { return spike.Rule{} }
