"""Built-in Xianfeng plugins; each is registered through the `xianfeng` entry-point group."""
