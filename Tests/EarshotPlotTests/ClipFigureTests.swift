#if Plot
    import EarshotDrawing
    import Foundation
    import Testing
#endif
