#include "widgets/SeriesColour.h"

namespace sw::ui {

QColor seriesColour(int index) {
    static const QColor colours[] = {{31, 119, 180}, {255, 127, 14},  {44, 160, 44},   {214, 39, 40},  {148, 103, 189},
                                     {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};
    return colours[index % 10];
}

}  // namespace sw::ui
