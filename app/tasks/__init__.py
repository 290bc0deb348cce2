"""Tasks (nhiệm vụ) assigned to members after meetings and documents."""
