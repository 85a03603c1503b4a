// atomic_write_victim text|fits TARGET READY FIRST
// Creates READY, then rewrites TARGET with generations FIRST, FIRST + 1, … through the
// project's atomic writers until it is killed. test_nothing_lost kills it
// at random moments and checks that TARGET is always one whole generation.

#include "generation_file.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

int main(int argc, char **argv)
{
    using namespace astrorim::test;
    if (argc != 5 || (std::strcmp(argv[1], "text") != 0 && std::strcmp(argv[1], "fits") != 0)) {
        std::cerr << "usage: atomic_write_victim text|fits TARGET READY FIRST\n";
        return 2;
    }
    const auto writer = std::strcmp(argv[1], "text") == 0 ? GenerationWriter::Text : GenerationWriter::Fits;
    std::ofstream(argv[3]) << "writing\n";
    try {
        for (int g = std::atoi(argv[4]);; ++g)
            writeGeneration(writer, argv[2], g);
    } catch (const std::exception &e) {
        std::cerr << "atomic_write_victim: " << e.what() << '\n';
        return 1;
    }
}
