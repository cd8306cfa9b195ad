import EarshotMPI
import EarshotTraining

/// The ranks `mpirun` started train one model together.
extension MPIWorld: ProcessGroup {}
