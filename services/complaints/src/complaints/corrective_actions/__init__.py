"""R-31 corrective actions: root-cause corrections tracked to done."""
