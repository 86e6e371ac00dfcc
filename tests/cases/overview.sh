# nianbao overview (to be written)
