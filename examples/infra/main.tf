# A SageMaker model for the training image, and the AMI of the data-preparation instances.
variable "region" {
  type = string
}

variable "training_image_tag" {
  type    = string
  default = "2.1.0-gpu-py310-cu121-ubuntu20.04-sagemaker"
}

resource "aws_sagemaker_model" "trainer" {
  name               = "trainer"
  execution_role_arn = aws_iam_role.sagemaker.arn

  primary_container {
    image = "763104351884.dkr.ecr.${var.region}.amazonaws.com/pytorch-training:${var.training_image_tag}"
  }
}

data "aws_ami" "data_prep" {
  most_recent = true
  owners      = ["amazon"]

  filter {
    name   = "name"
    values = ["Deep Learning OSS Nvidia Driver AMI GPU PyTorch 2.3.0 (Ubuntu 20.04) *"]
  }
}
