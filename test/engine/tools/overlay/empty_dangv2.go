package dangv2
