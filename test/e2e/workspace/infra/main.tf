variable "image_tag" {
  default = "2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker"
}

resource "aws_sagemaker_model" "trainer" {
  name               = "trainer"
  execution_role_arn = aws_iam_role.sagemaker.arn

  primary_container {
    image = "763104351884.dkr.ecr.${var.region}.amazonaws.com/pytorch-training:${var.image_tag}"
  }
}
