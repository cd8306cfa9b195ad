// Cairo from Debian's libcairo2-dev. Included by its folder rather than through pkg-config (`cairo.h` includes
// only its own folder's headers), so a default build without the Plot trait and without Cairo installed
// prints no "couldn't find pc file" warning.
#include <cairo/cairo.h>
